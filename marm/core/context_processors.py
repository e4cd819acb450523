from django.conf import settings


def service(request):
    return {
        "service_name": settings.MARM_SERVICE_NAME,
        "partnership_name": settings.MARM_PARTNERSHIP_NAME,
    }
