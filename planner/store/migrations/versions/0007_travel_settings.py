"""travel provider settings of a region

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 09:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.add_column(sa.Column('travel_provider', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False, server_default='estimate'))
        batch_op.add_column(sa.Column('osrm_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.add_column(sa.Column('osm_file', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.drop_column('osm_file')
        batch_op.drop_column('osrm_url')
        batch_op.drop_column('travel_provider')
