"""Synthetic worlds with planted influence campaigns and exact ground truth.

``simulate(out_dir, scenario="demo")`` writes a whole platform's worth of activity (organic accounts with
their honest look-alikes of coordination, plus campaigns) in a real export format, with ``ground_truth.csv``
naming every campaign account as it appears in the export.  Scenarios live in :mod:`.scenarios`, narratives
in :mod:`.narratives`.
"""

from .engine import FORMATS, SimulationSummary, simulate
from .scenarios import SCENARIOS, CampaignSpec, OrganicSpec, Scenario, Schedule, Stealth, Tactics

__all__ = ["FORMATS", "SCENARIOS", "CampaignSpec", "OrganicSpec", "Scenario", "Schedule", "SimulationSummary",
           "Stealth", "Tactics", "simulate"]
