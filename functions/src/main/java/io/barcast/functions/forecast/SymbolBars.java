package io.barcast.functions.forecast;

import io.barcast.core.Bar;
import java.util.List;

/**
 * One window to forecast: a symbol and its bars, oldest first, the newest being the bar the
 * forecast is made as of. A bar's own symbol may be null (the window's applies) or the window's.
 */
public record SymbolBars(String symbol, List<Bar> bars) {}
