"""The vendor rating (管理状況とリスク評価), fed by the events of the apps below: see :mod:`mamori.risk.rating`."""
