"""an outreach event's idempotency key (one event per form render)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('outreachevent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_outreachevent_idempotency_key'), ['idempotency_key'])


def downgrade() -> None:
    with op.batch_alter_table('outreachevent', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_outreachevent_idempotency_key'), type_='unique')
        batch_op.drop_column('idempotency_key')
