"""a solve job's heartbeat (when its worker last said it is alive)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-11 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('solvejob', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('solvejob', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
