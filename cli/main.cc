#include <iostream>
int main() { std::cout << "recur\n"; return 0; }
