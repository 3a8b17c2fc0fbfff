int main(void) {
    return undeclared_symbol
}
