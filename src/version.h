/* version.h -- leap's version and commit (the Makefile passes both; these
   fallbacks serve a build without it). */
#ifndef LEAP_VERSION_H
#define LEAP_VERSION_H

#ifndef LEAP_VERSION
#define LEAP_VERSION "0.0.0"
#endif
#ifndef LEAP_GIT
#define LEAP_GIT "unknown"
#endif

#endif
