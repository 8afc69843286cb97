from . import controllers
from . import models
from . import wizards


def post_init_hook(env):
    """Demo lines were created before the Dutch translations were loaded."""
    env["woonkans.condition.line"]._copy_template_translations()
