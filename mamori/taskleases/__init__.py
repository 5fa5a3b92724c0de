"""Leases for background tasks: a worker that died while running a task does not leave it stuck.

Each worker records a heartbeat (:class:`~mamori.taskleases.models.WorkerHeartbeat`). A task left
``RUNNING`` by a worker whose heartbeat is older than the lease goes back to the queue, except when it
may already have handed a message to the mail server (:func:`deliver_once`): a mail is sent at most once.
"""
