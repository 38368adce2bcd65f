/** The demo as a module: it reads ntk4j's API packages and nothing else. */
module demo {
    requires io.github.ntk4j;
}
