"""Check sheets: template structures, built-in sheets, scoring and risk rating (pure Python)."""
