"""survey submission identity: a response's instance id and answers digest, a batch's updates

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 01:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('surveybatch', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('updated_count', sa.Integer(), nullable=False, server_default='0')
        )
    with op.batch_alter_table('surveyresponse', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('instance_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True)
        )
        batch_op.add_column(
            sa.Column('answers_digest', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.create_index(
            batch_op.f('ix_surveyresponse_instance_id'), ['instance_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_surveyresponse_answers_digest'), ['answers_digest'], unique=False
        )
    # Earlier imports keyed a row "id:<instance id>" (with or without "uuid:") or
    # "h:<answers digest>:<repeat>"; both are kept as they are, their parts copied out.
    op.execute(
        "UPDATE surveyresponse SET instance_id = CASE"
        " WHEN lower(substr(response_key, 1, 8)) = 'id:uuid:' THEN substr(response_key, 9)"
        " ELSE substr(response_key, 4) END"
        " WHERE substr(response_key, 1, 3) = 'id:'"
    )
    op.execute(
        "UPDATE surveyresponse SET answers_digest = substr(response_key, 3, 40)"
        " WHERE substr(response_key, 1, 2) = 'h:'"
    )


def downgrade() -> None:
    with op.batch_alter_table('surveyresponse', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveyresponse_answers_digest'))
        batch_op.drop_index(batch_op.f('ix_surveyresponse_instance_id'))
        batch_op.drop_column('answers_digest')
        batch_op.drop_column('instance_id')
    with op.batch_alter_table('surveybatch', schema=None) as batch_op:
        batch_op.drop_column('updated_count')
