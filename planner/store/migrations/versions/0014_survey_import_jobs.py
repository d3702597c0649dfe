"""survey import jobs: an uploaded survey file imported in the background

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 01:45:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: Union[str, None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('surveyimportjob',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('stored_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('overlap_choice', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('responses', sa.Integer(), nullable=False),
    sa.Column('new', sa.Integer(), nullable=False),
    sa.Column('duplicates', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('overlap', sa.Integer(), nullable=False),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.Column('already_imported', sa.Boolean(), nullable=False),
    sa.Column('needs_choice', sa.Boolean(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('problem_total', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('finished_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('heartbeat_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name=op.f('ck_surveyimportjob_status')),
    sa.ForeignKeyConstraint(['batch_id'], ['surveybatch.id'], name=op.f('fk_surveyimportjob_batch_id_surveybatch')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_surveyimportjob_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveyimportjob'))
    )
    with op.batch_alter_table('surveyimportjob', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveyimportjob_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('surveyimportjob', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveyimportjob_status'))

    op.drop_table('surveyimportjob')
