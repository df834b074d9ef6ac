"""(skeleton: filled by issue 19 work)"""

from ninja import Router

router = Router(tags=["Pelindungan data pribadi"])
