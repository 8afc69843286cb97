from . import portal, referral, woonkansboom
