"""Project-level views: the health check."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from checkpoint import health


@never_cache
@require_GET
def healthz(request):
    """JSON status of the database and the broker; 200 when both are healthy, else 503."""
    database = health.check_database()
    broker = health.check_broker()
    ok = database["ok"] and broker["ok"]
    body = {"status": "ok" if ok else "unhealthy", "database": database, "broker": broker}
    if database["ok"]:
        body["sweep"] = health.last_sweep()
    return JsonResponse(body, status=200 if ok else 503)
