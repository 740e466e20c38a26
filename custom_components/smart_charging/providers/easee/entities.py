"""The entities only Easee chargers have: the smart button's event."""

from __future__ import annotations

from homeassistant.helpers.entity import EntityDescription

from ...event import ChargerEventDescription
from ...model import ChargerData
from .model import EaseeChargerData


def _presses(data: ChargerData) -> int | None:
    button = data.button if isinstance(data, EaseeChargerData) else None
    return button.count if button is not None else None


EASEE_DESCRIPTIONS: tuple[EntityDescription, ...] = (
    # Fires for each press the cloud reports while the button's forwarding is on; a
    # charger that reports settings has the setting, so it has the event too.
    ChargerEventDescription(
        key="smart_button",
        translation_key="smart_button",
        event_types=["pressed"],
        count_fn=_presses,
        count_attribute="presses",
        exists_fn=lambda data: data.settings is not None,
    ),
)
