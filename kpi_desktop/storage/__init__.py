"""SQLAlchemy 2 models, engine, unit of work, repositories and Alembic migrations."""
