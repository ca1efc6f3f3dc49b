/* Plotly's German locale: month and day names in date axes and hover labels, number
 * separators and the mode bar's button titles. Every chart selects it with
 * config.locale = page language (dashboard/chart_parts.py graph_config).
 *
 * Plotly is loaded lazily by dcc.Graph, usually after this asset: the locale then waits in
 * window.PlotlyLocales, which plotly.js registers itself when it loads. */
(function () {
    'use strict';
    var locale = {
        moduleType: 'locale',
        name: 'de',
        dictionary: {
            'Autoscale': 'Automatisch skalieren',
            'Box Select': 'Rechteckauswahl',
            'Compare data on hover': 'Daten beim Überfahren vergleichen',
            'Double-click on legend to isolate one trace': 'Doppelklick auf die Legende zeigt nur diese Linie',
            'Double-click to zoom back out': 'Doppelklick zum Herauszoomen',
            'Download plot as a png': 'Diagramm als PNG herunterladen',
            'Download plot': 'Diagramm herunterladen',
            'Lasso Select': 'Lassoauswahl',
            'Pan': 'Verschieben',
            'Produced with Plotly.js': 'Erstellt mit Plotly.js',
            'Reset': 'Zurücksetzen',
            'Reset axes': 'Achsen zurücksetzen',
            'Reset view': 'Ansicht zurücksetzen',
            'Reset views': 'Ansichten zurücksetzen',
            'Show closest data on hover': 'Nächste Daten beim Überfahren zeigen',
            'Snapshot succeeded': 'Bild erstellt',
            'Sorry, there was a problem downloading your snapshot!': 'Das Bild konnte leider nicht heruntergeladen werden.',
            'Taking snapshot - this may take a few seconds': 'Bild wird erstellt – das kann einige Sekunden dauern',
            'Toggle Spike Lines': 'Hilfslinien ein/aus',
            'Toggle show closest data on hover': 'Nächste Daten beim Überfahren ein/aus',
            'Zoom': 'Zoomen',
            'Zoom in': 'Vergrößern',
            'Zoom out': 'Verkleinern',
            'max:': 'Max.:',
            'mean:': 'Mittelwert:',
            'median:': 'Median:',
            'min:': 'Min.:',
            'trace': 'Linie'
        },
        format: {
            days: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'],
            shortDays: ['So', 'Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa'],
            months: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August',
                'September', 'Oktober', 'November', 'Dezember'],
            shortMonths: ['Jan', 'Feb', 'Mär', 'Apr', 'Mai', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt',
                'Nov', 'Dez'],
            date: '%d.%m.%Y',
            decimal: ',',
            thousands: '.'
        }
    };
    if (typeof window.Plotly === 'undefined' || !window.Plotly.register) {
        window.PlotlyLocales = window.PlotlyLocales || [];
        window.PlotlyLocales.push(locale);
    } else {
        window.Plotly.register(locale);
    }
})();
