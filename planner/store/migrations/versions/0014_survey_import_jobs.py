"""survey import jobs: an uploaded survey file imported in the background (claimed)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 01:45:00.000000

"""
from typing import Sequence, Union


# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: Union[str, None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
