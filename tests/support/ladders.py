"""Tier ladders the tests share: the seed's coffee-shop example (API.md, issue "tier configuration")."""

from __future__ import annotations

from typing import Any

COFFEE_SHOP: dict[str, Any] = {
    "enabled": True,
    "tiers": [
        {
            "id": "coffee-lover",
            "name": "Coffee Lover",
            "nameAr": "محب القهوة",
            "minRewards": 1,
            "maxRewards": 3,
            "icon": "☕",
            "color": "#8B4513",
        },
        {
            "id": "coffee-expert",
            "name": "Coffee Expert",
            "nameAr": "خبير القهوة",
            "minRewards": 4,
            "maxRewards": 9,
            "icon": "🏆",
            "color": "#C0C0C0",
        },
        {
            "id": "coffee-master",
            "name": "Coffee Master",
            "nameAr": "سيد القهوة",
            "minRewards": 10,
            "maxRewards": None,
            "icon": "👑",
            "color": "#FFD700",
        },
    ],
}
