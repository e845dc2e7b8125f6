/*
** cal.h -- dates, weeks and years.
**
** Day 0 is 1957-01-01 (proleptic Gregorian).  Week w covers days
** [7w, 7w+7); the run's first week is week 0.  A week belongs to the calendar
** year in which its middle day (7w+3) falls, so a year has 52 or 53 weeks and
** every week belongs to exactly one year.  Annual rates are events in the
** year's weeks per person-year lived in them: sum over the year's weeks of
** (population at the start of the week) x 7/365.25.  The "year-end"
** population of year y is the population after the last week of y; it is at
** most 3.5 days from 31 December.
**
** Dates are written in scenarios as YYYY-MM-DD and held as int YYYYMMDD.
*/
#ifndef LEAP_CAL_H
#define LEAP_CAL_H

#include <stdbool.h>

#define CAL_EPOCH_YEAR 1957

/* Days from 1957-01-01 to y-m-d (negative before). */
int cal_days(int y, int m, int d);
/* Inverse of cal_days. */
void cal_ymd(int days, int *y, int *m, int *d);
/* True if y-m-d is a real date. */
bool cal_valid(int y, int m, int d);
/* YYYYMMDD <-> days. */
int cal_days_of(int yyyymmdd);
int cal_yyyymmdd(int days);
/* Week containing a day; year a week belongs to; first week of a year. */
int cal_week_of_day(int days);
int cal_year_of_week(int week);
int cal_first_week_of_year(int year);
/* Number of weeks in a run that ends on day `end_day`: weeks whose middle
   day is on or before it. */
int cal_weeks_until(int end_day);
/* The last year of which a run to run.end (YYYYMMDD) simulates any week
   (its last row of national_annual.csv: a run to 1959-01-01 ends in 1958,
   that week's middle day being 2 January), and the last of which it
   simulates every week (a year before, if that one ends early). */
int cal_last_year(int end_yyyymmdd);
int cal_last_full_year(int end_yyyymmdd);
/* Day of the year (0 = 1 January) of a week's middle day. */
int cal_doy_of_week(int week);

#endif
