from . import portal, woonkansboom
