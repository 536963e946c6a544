using System.Globalization;
using System.Text;
using System.Xml;
using FaultLab.Profiling.Model;

namespace FaultLab.Profiling.Writers;

/// <summary>What a flame graph shows besides the frames: its headings, and how each frame is coloured and described.</summary>
public sealed record FlameGraphStyle
{
    public required string Title { get; init; }
    public string Subtitle { get; init; } = "";

    /// <summary>The fill of a frame; the default is the warm palette by name.</summary>
    public Func<FlameNode, Rgb> Fill { get; init; } = node => FrameColors.Warm(node.Name);

    /// <summary>The tooltip of a frame; the default is <c>name (N samples, P%)</c> of the graph's total.</summary>
    public Func<FlameNode, long, string>? Tooltip { get; init; }

    /// <summary>The image's width in pixels; 0 fills the width of the window (the layout is computed at
    /// <see cref="FlameGraphSvg.LayoutWidth"/> and scaled).</summary>
    public int Width { get; init; } = FlameGraphSvg.LayoutWidth;

    /// <summary>An icicle graph: the root at the top, callees hanging below their callers (flamegraph.pl --inverted).</summary>
    public bool Inverted { get; init; }

    /// <summary>Frames narrower than this many pixels are left out, with what they call (flamegraph.pl --minwidth).</summary>
    public double MinWidth { get; init; } = 0.1;
}

/// <summary>
/// Writes an interactive flame graph as a standalone SVG, in the manner of Brendan Gregg's flamegraph.pl: the root
/// at the bottom (at the top when inverted, an icicle graph), callees stacked above their callers, widths
/// proportional to samples, children in name order, frames narrower than the minimum width left out. Every frame
/// is a <c>&lt;g class="frame"&gt;</c> holding a <c>&lt;title&gt;</c> tooltip with the frame's full name, a rect and a
/// short label (<c>Type.Method</c>). The embedded script zooms into a clicked frame, resets the zoom, and searches
/// frames by regular expression, ignoring case, highlighting the matches and showing the share of samples they
/// cover (nested matches counted once).
/// The output depends only on the tree and the style: no clock, no randomness, invariant number formatting.
/// </summary>
public static class FlameGraphSvg
{
    private const int Pad = 10;
    private const int FrameHeight = 16;
    private const int Top = 60;
    private const int Bottom = 34;
    private const double FontSize = 12;
    private const double FontWidth = 0.59;
    private const string SearchFill = "rgb(230,0,230)";

    /// <summary>The default width, and the width a window-wide graph is laid out at.</summary>
    public const int LayoutWidth = 1200;

    public static string Render(StackProfile profile, FlameGraphStyle style) => Render(FlameTree.Build(profile), style);

    public static string Render(FlameNode root, FlameGraphStyle style)
    {
        var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings
        {
            Indent = true,
            IndentChars = " ",
            NewLineChars = "\n",
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        }))
        {
            Write(root, style, writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Write(FlameNode root, FlameGraphStyle style, XmlWriter w)
    {
        var maxDepth = root.DepthFirst().Max(n => n.Depth);
        var width = style.Width > 0 ? style.Width : LayoutWidth;
        var height = Top + (maxDepth + 1) * FrameHeight + Bottom;
        var plotWidth = width - 2.0 * Pad;
        var tooltip = style.Tooltip ?? DefaultTooltip;

        w.WriteStartElement("svg", "http://www.w3.org/2000/svg");
        w.WriteAttributeString("version", "1.1");
        w.WriteAttributeString("width", style.Width > 0 ? Num(width) : "100%");
        if (style.Width > 0)
            w.WriteAttributeString("height", Num(height));
        w.WriteAttributeString("viewBox", $"0 0 {Num(width)} {Num(height)}");
        w.WriteAttributeString("onload", "init(evt)");

        w.WriteStartElement("style");
        w.WriteString(Css);
        w.WriteEndElement();
        w.WriteStartElement("script");
        w.WriteAttributeString("type", "text/ecmascript");
        w.WriteCData(Script(width, style.Inverted));
        w.WriteEndElement();

        Rect(w, 0, 0, width, height, "rgb(248,248,248)", null);
        Text(w, "title", width / 2.0, 24, style.Title);
        Text(w, "subtitle", width / 2.0, 44, style.Subtitle);
        Text(w, "reset", Pad, 24, "Reset Zoom");
        Text(w, "search", width - Pad, 24, "Search");
        Text(w, "details", Pad, height - 12, " ");
        Text(w, "matched", width - Pad, height - 12, " ");

        if (root.Total == 0)
        {
            Text(w, "empty", width / 2.0, Top + FrameHeight, "no samples");
        }
        w.WriteStartElement("g");
        w.WriteAttributeString("id", "frames");
        if (root.Total > 0)
        {
            WriteFrame(root, 0, root.Total, plotWidth, maxDepth, style, tooltip, w);
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteFrame(FlameNode node, long offset, long total, double plotWidth, int maxDepth,
        FlameGraphStyle style, Func<FlameNode, long, string> tooltip, XmlWriter w)
    {
        var x = Pad + offset * plotWidth / total;
        var width = node.Total * plotWidth / total;
        if (width < style.MinWidth)
        {
            return; // and so are its callees, narrower still
        }
        var y = Top + (style.Inverted ? node.Depth : maxDepth - node.Depth) * FrameHeight;

        w.WriteStartElement("g");
        w.WriteAttributeString("class", "frame");
        w.WriteElementString("title", tooltip(node, total));
        Rect(w, x, y, width, FrameHeight - 1, style.Fill(node).ToString(), 2);
        w.WriteStartElement("text");
        w.WriteAttributeString("x", Num(x + 3));
        w.WriteAttributeString("y", Num(y + FrameHeight - 4.5));
        w.WriteString(Label(node.Name, width));
        w.WriteEndElement();
        w.WriteEndElement();

        var childOffset = offset;
        foreach (var child in node.Children)
        {
            WriteFrame(child, childOffset, total, plotWidth, maxDepth, style, tooltip, w);
            childOffset += child.Total;
        }
    }

    /// <summary>What fits of a frame's short name (<see cref="ShortName"/>: class and method; the tooltip has the
    /// full name) in <paramref name="width"/> pixels: all of it, else cut with "..", else nothing. The script does the
    /// same after a zoom.</summary>
    public static string Label(string name, double width)
    {
        var fits = (int)Math.Floor((width - 6) / (FontSize * FontWidth));
        if (fits < 3)
        {
            return "";
        }
        var shortName = ShortName(name);
        return shortName.Length <= fits ? shortName : string.Concat(shortName.AsSpan(0, fits - 2), "..");
    }

    /// <summary><c>Module!Namespace.Type.Method</c> without module and namespace: <c>Type.Method</c>.</summary>
    public static string ShortName(string name)
    {
        var method = name[(name.IndexOf('!') + 1)..];
        var end = method.EndsWith("..ctor", StringComparison.Ordinal) ? method.Length - 6
            : method.EndsWith("..cctor", StringComparison.Ordinal) ? method.Length - 7
            : method.LastIndexOf('.');
        var start = end > 0 ? method.LastIndexOf('.', end - 1) : -1;
        return start < 0 ? method : method[(start + 1)..];
    }

    public static string DefaultTooltip(FlameNode node, long total) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{node.Name} ({node.Total} {(node.Total == 1 ? "sample" : "samples")}, {Percent(node.Total, total)}%)");

    public static string Percent(long part, long total) =>
        (total == 0 ? 0 : 100.0 * part / total).ToString("0.00", CultureInfo.InvariantCulture);

    private static void Rect(XmlWriter w, double x, double y, double width, double height, string fill, double? rx)
    {
        w.WriteStartElement("rect");
        w.WriteAttributeString("x", Num(x));
        w.WriteAttributeString("y", Num(y));
        w.WriteAttributeString("width", Num(width));
        w.WriteAttributeString("height", Num(height));
        w.WriteAttributeString("fill", fill);
        if (rx is { } r)
        {
            w.WriteAttributeString("rx", Num(r));
        }
        w.WriteEndElement();
    }

    private static void Text(XmlWriter w, string id, double x, double y, string text)
    {
        w.WriteStartElement("text");
        w.WriteAttributeString("id", id);
        w.WriteAttributeString("x", Num(x));
        w.WriteAttributeString("y", Num(y));
        w.WriteString(text);
        w.WriteEndElement();
    }

    private static string Num(double value) => Math.Round(value, 4).ToString("0.####", CultureInfo.InvariantCulture);

    private const string Css = """

         text { font-family: Verdana, "DejaVu Sans", sans-serif; font-size: 12px; fill: rgb(0,0,0); }
         #title { font-size: 17px; text-anchor: middle; }
         #subtitle { fill: rgb(90,90,90); text-anchor: middle; }
         #search, #matched { text-anchor: end; }
         #reset { opacity: 0.3; }
         #reset, #search { cursor: pointer; }
         #reset:hover, #search:hover { fill: rgb(0,0,200); }
         .frame { cursor: pointer; }
         .frame text { pointer-events: none; font-size: 11px; }
         .frame:hover rect { stroke: rgb(0,0,0); stroke-width: 0.5; }

        """;

    private static string Script(int width, bool inverted) => """

        "use strict";
        var frames = [], details, matched, reset, searchButton, zoomed = null, searching = null;
        var WIDTH = @WIDTH, PAD = @PAD, CHAR = @CHAR, EPS = 0.001, INVERTED = @INVERTED;
        function init(evt) {
          details = document.getElementById("details");
          matched = document.getElementById("matched");
          reset = document.getElementById("reset");
          searchButton = document.getElementById("search");
          var groups = document.getElementsByClassName("frame");
          for (var i = 0; i < groups.length; i++) {
            var g = groups[i], rect = g.getElementsByTagName("rect")[0], title = g.getElementsByTagName("title")[0];
            var f = { g: g, rect: rect, text: g.getElementsByTagName("text")[0], tip: title.textContent,
                      name: title.textContent.replace(/ \([^()]*\)$/, ""), fill: rect.getAttribute("fill"),
                      x: +rect.getAttribute("x"), w: +rect.getAttribute("width"), y: +rect.getAttribute("y") };
            frames.push(f);
            g.addEventListener("click", zoomTo.bind(null, f));
            g.addEventListener("mouseover", function (tip) { details.textContent = tip; }.bind(null, f.tip));
            g.addEventListener("mouseout", function () { details.textContent = " "; });
          }
          reset.addEventListener("click", resetZoom);
          searchButton.addEventListener("click", function () { if (searching) clearSearch(); else search(); });
          window.addEventListener("keydown", function (e) {
            if ((e.ctrlKey || e.metaKey) && e.key === "f") { e.preventDefault(); search(); }
            else if (e.key === "Escape") { resetZoom(); clearSearch(); }
          });
        }
        function shortName(name) {
          var method = name.substring(name.indexOf("!") + 1);
          var end = /\.\.ctor$/.test(method) ? method.length - 6 : /\.\.cctor$/.test(method) ? method.length - 7 : method.lastIndexOf(".");
          var start = end > 0 ? method.lastIndexOf(".", end - 1) : -1;
          return start < 0 ? method : method.substring(start + 1);
        }
        function label(name, w) {
          var fits = Math.floor((w - 6) / CHAR);
          if (fits < 3) return "";
          var s = shortName(name);
          return s.length <= fits ? s : s.substring(0, fits - 2) + "..";
        }
        function place(f, x, w) {
          f.rect.setAttribute("x", x.toFixed(2));
          f.rect.setAttribute("width", w.toFixed(2));
          f.text.setAttribute("x", (x + 3).toFixed(2));
          f.text.textContent = label(f.name, w);
          f.g.style.display = "";
        }
        // The root is at the bottom: a frame's callers lie below it (larger y), its callees above; inverted (an
        // icicle graph), the other way round.
        function zoomTo(z) {
          var scale = (WIDTH - 2 * PAD) / z.w;
          for (var i = 0; i < frames.length; i++) {
            var f = frames[i], inside = f.x >= z.x - EPS && f.x + f.w <= z.x + z.w + EPS;
            var covers = f.x <= z.x + EPS && f.x + f.w >= z.x + z.w - EPS;
            var callee = INVERTED ? f.y >= z.y : f.y <= z.y;
            if (callee && inside) { place(f, PAD + (f.x - z.x) * scale, f.w * scale); f.g.style.opacity = ""; }
            else if (!callee && covers) { place(f, PAD, WIDTH - 2 * PAD); f.g.style.opacity = "0.5"; }
            else { f.g.style.display = "none"; }
          }
          zoomed = z;
          reset.style.opacity = "1";
        }
        function resetZoom() {
          for (var i = 0; i < frames.length; i++) { place(frames[i], frames[i].x, frames[i].w); frames[i].g.style.opacity = ""; }
          zoomed = null;
          reset.style.opacity = "";
        }
        function search() {
          var term = prompt("Search frames (regular expression, ignoring case):", "");
          if (!term) return;
          var re;
          try { re = new RegExp(term, "i"); } catch (e) { alert("Not a regular expression: " + e.message); return; }
          var spans = [];
          for (var i = 0; i < frames.length; i++) {
            var f = frames[i];
            if (re.test(f.name)) { f.rect.setAttribute("fill", "@MATCH"); spans.push([f.x, f.x + f.w]); }
            else { f.rect.setAttribute("fill", f.fill); }
          }
          // A match inside another match adds nothing: merge the intervals before summing them.
          spans.sort(function (a, b) { return a[0] - b[0]; });
          var covered = 0, end = -Infinity;
          for (var j = 0; j < spans.length; j++) {
            var s = spans[j];
            if (s[0] >= end) { covered += s[1] - s[0]; end = s[1]; }
            else if (s[1] > end) { covered += s[1] - end; end = s[1]; }
          }
          matched.textContent = "Matched: " + (100 * covered / (WIDTH - 2 * PAD)).toFixed(1) + "% (" + term + ")";
          searchButton.textContent = "Clear search";
          searching = re;
        }
        function clearSearch() {
          for (var i = 0; i < frames.length; i++) frames[i].rect.setAttribute("fill", frames[i].fill);
          matched.textContent = " ";
          searchButton.textContent = "Search";
          searching = null;
        }

        """
        .Replace("@WIDTH", width.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@INVERTED", inverted ? "true" : "false", StringComparison.Ordinal)
        .Replace("@PAD", Pad.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@CHAR", (FontSize * FontWidth).ToString("0.###", CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@MATCH", SearchFill, StringComparison.Ordinal);
}
