/*
** popgen.h -- the synthetic population of China on 1957-01-01.
**
** Structure (full scale, before sampling):
**  - provinces: the end-1956 national population (data/national.csv) split
**    by the provinces' 1957 shares (provinces.csv; they sum to less than the
**    national total, so shares are used), urban residents likewise from the
**    end-1956 national urban population by each province's urban share x
**    population;
**  - rural households: rural population / population.household_size_rural;
**  - counties: population.counties split by rural population (largest
**    remainder), plus one city sector per province;
**  - communes: rural households / population.commune_households_mean per
**    province, sizes lognormal (log-sd population.commune_households_sigma,
**    truncated to 50..50,000 households), rescaled to the province's
**    households, dealt to counties in order;
**  - land quality: county lognormal x commune lognormal (mean 1); 1957
**    provincial grain (scaled so provinces sum to the national 1957 output)
**    is shared among communes by households x quality;
**  - urban work units of population.urban_unit_households households.
** Sampling (--scale F): each commune keeps floor(H F + u) of its H
** households (u uniform, keyed by the commune), so household k of a commune
** is the same household at every scale.  When fewer than
** population.min_commune_households would remain on average, consecutive
** communes of a county (or units of a city) merge first.
** Households: size 1 + NegBin(mean m - 1, population.household_size_dispersion),
** truncated at 15.  Member 1 is an adult (18+) drawn from the stable
** population; member 2, if any, an adult of the other sex; the rest are
** drawn from the residual distribution that makes the population's age-sex
** structure equal the stable one (demog.h).  Ages within a household are
** therefore not kin-consistent: a known simplification.
** Initial state: healthy reserves; death thresholds drawn; women 14-50 are
** pregnant, postpartum or waiting with the probabilities of the renewal
** cycle (demog.h), so births flow from the first week; rural households hold
** grain until the summer harvest plus food.household_buffer_weeks.
*/
#ifndef LEAP_POPGEN_H
#define LEAP_POPGEN_H

#include "sim.h"

int popgen_build(SimState *S, LeapErr *e);

#endif
