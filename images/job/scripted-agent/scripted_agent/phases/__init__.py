"""The Spec Kit phases the agent runs, by name: each takes the run's context and arguments."""

from scripted_agent.phases.analyze import analyze_phase
from scripted_agent.phases.clarify import clarify_phase
from scripted_agent.phases.implement import implement_phase
from scripted_agent.phases.plan import plan_phase
from scripted_agent.phases.specify import specify_phase
from scripted_agent.phases.tasks import tasks_phase

PHASES = {
    "specify": specify_phase,
    "plan": plan_phase,
    "tasks": tasks_phase,
    "clarify": clarify_phase,
    "analyze": analyze_phase,
    "implement": implement_phase,
}
