"""the library's own closed days

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('closedday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_closedday_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closedday')),
    sa.UniqueConstraint('region_id', 'date', name='uq_closedday_region_date')
    )
    with op.batch_alter_table('closedday', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_closedday_region_id'), ['region_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('closedday', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_closedday_region_id'))

    op.drop_table('closedday')
