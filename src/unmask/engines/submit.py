"""The ``unmask`` command as a Python file, for ``spark-submit`` (which runs files, not console scripts).

    spark-submit --master spark://host:7077 --deploy-mode client "$(python -c \
        'import unmask.engines.submit as s; print(s.__file__)')" analyze --out /shared/case --engine spark
"""

from unmask.cli import app

if __name__ == "__main__":
    app()
