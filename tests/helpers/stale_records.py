"""One record of each versioned kind, and a change of each: the stale-edit tests' data."""

VALUES = {"finding": {"title": "Manual rollback", "severity": "High", "owner": "Platform team"},
          "model": {"name": "churn", "owner": "Platform team"},
          "risk": {"title": "Drift", "likelihood": 3, "impact": 4, "owner": "Platform team"},
          "cost": {"kind": "budget", "name": "Feature store", "target": "Platform team"},
          "roadmap": {"phase": "Now", "activity": "Automate rollback", "success_metric": "Platform team"},
          "matrix": {"kind": "tool", "data": {"tool": "Feast"}}}
CHANGE = {"finding": {"owner": "Rui"}, "model": {"owner": "Rui"}, "risk": {"owner": "Rui"},
          "cost": {"target": "Rui"}, "roadmap": {"success_metric": "Rui"}, "matrix": {"data": {"tool": "Rui"}}}
