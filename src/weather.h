/*
** weather.c -- province-year yield multipliers (mechanism `weather`).
**
** History: official disaster statistics (data/weather_index.csv, from the
**   crop area affected and severely affected; MODEL.md sec.3.9) show 1959-61
**   as bad years: the national index, 1957 = 1, is ~0.98 in 1959 and ~0.93 in
**   1960-61.  No clean provincial weather series exists for the famine years.
** Rule: W_p(y) = I(y) * s_p(y) / sbar(y), with
**   I(y)    the national index (the file must have every year 1957-1962,
**           each once; 1 for years after its last row: normal weather),
**   s_p(y)  = exp(k sd_p z_py), z_py standard normal drawn on its own stream,
**           keyed by (province, year); sd_p the sd of the province's log
**           output around its 1953-57 trend (data/provinces_panel.csv; the
**           median over provinces where a province is not in the panel);
**           k = mechanisms.weather.provincial_sd_scale;
**   sbar(y) the 1957-output-weighted mean of s_p, so the national harvest
**           follows I(y) exactly and shocks only move grain between places.
**   1957 is the base year (its output is data): W_p(1957) = 1.
** Disabled: W_p(y) = 1 every year.
** Units: a multiplier on yield.  Cost: O(provinces) once a year.
** Must not: touch grain; agriculture.c applies it.
*/
#ifndef LEAP_WEATHER_H
#define LEAP_WEATHER_H

#include "sim.h"

/* Set S->prov[p].weather for year y. */
void wea_year(SimState *S, int y);

#endif
