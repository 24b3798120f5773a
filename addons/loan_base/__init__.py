from . import controllers
from . import engine
from . import tools
from . import models
from . import wizard
