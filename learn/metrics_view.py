"""/metrics for Prometheus, only for the addresses in METRICS_ALLOWED_NETWORKS (default: this machine).

Everyone else gets exactly what an address that does not exist gets (the language redirect, then the
site's 404), so the page does not even show that it exists. The client's
address is worked out as for sign-in throttling (learn.client_address.client_ip, TRUSTED_PROXY_COUNT): behind
nginx that is the address nginx saw. A request that came through a proxy while TRUSTED_PROXY_COUNT is 0 is
refused: its REMOTE_ADDR is the proxy's (loopback), which says nothing about the real client.
"""

import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from learn import metrics

from .client_address import client_ip, has_proxy_header


def allowed_networks() -> list:
    return [ipaddress.ip_network(network.strip(), strict=False) for network in settings.METRICS_ALLOWED_NETWORKS]


def may_scrape(request) -> bool:
    if settings.TRUSTED_PROXY_COUNT <= 0 and has_proxy_header(request=request):
        return False
    try:
        address = ipaddress.ip_address(client_ip(request=request).strip("[]"))
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in allowed_networks())


@never_cache
def metrics_view(request):
    if not may_scrape(request):
        raise Http404  # first, for every method: nobody else learns that the page exists
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return HttpResponse(metrics.metrics_text(), content_type=CONTENT_TYPE_LATEST)
