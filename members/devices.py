"""The family of a device, from its user agent: all the activity page keeps of it."""

from .models import DeviceFamily

# Order matters: iPad and iPhone before Mac, Android before Linux, ChromeOS before Linux.
SIGNATURES = (
    ("iPhone", DeviceFamily.IPHONE),
    ("iPad", DeviceFamily.IPAD),
    ("Android", DeviceFamily.ANDROID),
    ("CrOS", DeviceFamily.CHROMEOS),
    ("Windows", DeviceFamily.WINDOWS),
    ("Macintosh", DeviceFamily.MAC),
    ("Mac OS X", DeviceFamily.MAC),
    ("Linux", DeviceFamily.LINUX),
)


def device_family(user_agent: str | None) -> str:
    """A coarse family ("android", "iphone"...), never the full user agent."""
    if not user_agent:
        return ""
    for needle, family in SIGNATURES:
        if needle in user_agent:
            return family.value
    return DeviceFamily.OTHER.value
