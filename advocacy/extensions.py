"""Extension objects, created unbound and initialised in create_app.

Models and services import from here, never from the application package,
so there are no circular imports.
"""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from advocacy.security import PasswordService, client_key


class Base(DeclarativeBase):
    """Declarative base for every model."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Keyed by a keyed hash of the client address, never the address itself.
limiter = Limiter(key_func=client_key)
passwords = PasswordService()
