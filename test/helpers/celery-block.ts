/**
 * The celery: block every uWSGI → gravity: migration writes (with its why-comment), as the lines a
 * user finds in the file. `pad` is the indent of the `celery:` key, `step` the file's indent step.
 * One copy, so a change of the wording is made in one place and checked in every test.
 */
export const celeryBlock = (pad: string, step = '  '): string[] => [
  `${pad}# Gravity starts Celery workers and Celery beat unless told not to; uWSGI ran neither.`,
  `${pad}# Galaxy (22.05 and later) runs background tasks in them, so they stay on; set both`,
  `${pad}# to false to keep exactly the old set of processes.`,
  `${pad}celery:`,
  `${pad}${step}enable: true`,
  `${pad}${step}enable_beat: true`,
];
