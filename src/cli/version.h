/* version.h — the one place the version number lives. */
#ifndef RENACER_VERSION_H
#define RENACER_VERSION_H
#define RENACER_VERSION "0.1.0"
#endif
