from django.conf import settings


def service(request):
    return {
        "service_name": settings.MARM_SERVICE_NAME,
        "partnership_name": settings.MARM_PARTNERSHIP_NAME,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
