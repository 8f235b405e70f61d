#ifndef CKERNELS_H
#define CKERNELS_H
int llamaterm_ckernels_version(void);
#endif
