from ninja import Router

router = Router(tags=["co-creation"])
