"""The sample organization (``mamori demo``, 「サンプルデータで試す」): see :mod:`mamori.demo.seed`."""
