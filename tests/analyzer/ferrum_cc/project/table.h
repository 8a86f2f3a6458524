#ifndef PROJECT_TABLE_H
#define PROJECT_TABLE_H
int table_sum(const int *v, int n);
void table_shift(int *v, int n);
#endif
