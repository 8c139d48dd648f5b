#include "holidays.h"

#include "../util/civil.h"

#define MONDAY 0

int
holidays_mx(struct holiday out[8], int y)
{
	int n = 0;
	bool movable = y >= 2006;

	out[n++] = (struct holiday){ civil_days(y, 1, 1), "Año Nuevo" };
	out[n++] = (struct holiday){
		movable ? civil_nth_weekday(y, 2, MONDAY, 1) : civil_days(y, 2, 5),
		"Día de la Constitución" };
	out[n++] = (struct holiday){
		movable ? civil_nth_weekday(y, 3, MONDAY, 3) : civil_days(y, 3, 21),
		"Natalicio de Benito Juárez" };
	out[n++] = (struct holiday){ civil_days(y, 5, 1), "Día del Trabajo" };
	out[n++] = (struct holiday){ civil_days(y, 9, 16),
				     "Día de la Independencia" };
	/* Inauguration of the federal executive: every six years. */
	if (y >= 2024 && (y - 2024) % 6 == 0)
		out[n++] = (struct holiday){ civil_days(y, 10, 1),
			"Transmisión del Poder Ejecutivo Federal" };
	out[n++] = (struct holiday){
		movable ? civil_nth_weekday(y, 11, MONDAY, 3) : civil_days(y, 11, 20),
		"Día de la Revolución" };
	if (y < 2024 && y >= 1976 && (y - 1976) % 6 == 0)
		out[n++] = (struct holiday){ civil_days(y, 12, 1),
			"Transmisión del Poder Ejecutivo Federal" };
	out[n++] = (struct holiday){ civil_days(y, 12, 25), "Navidad" };
	return n;
}
