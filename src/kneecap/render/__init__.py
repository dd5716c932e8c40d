"""What turns data into artefacts: exercise figures (SVG and characters), the progress and run
pages' charts, and the plan as an iCalendar file.

Rendering reads core's data and the catalogue; it never reaches the store, the web or the CLI
(a test enforces it). Import the module you need (`kneecap.render.figures`, `.charts`,
`.run_charts`, `.ical`): nothing is imported here, so a command that draws nothing pays nothing.
"""
