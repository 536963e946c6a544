using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace FaultLab.Generators;

/// <summary>One generated source file.</summary>
internal sealed record GeneratedFile(string HintName, string Text);

/// <summary>
/// Writes the generated code: one nested class per variant (the folded copies), the monomorphized copies over
/// a struct type parameter, the dispatchers, and a catalog of the variants.
/// </summary>
internal static class Emitter
{
    private const string Indent = "    ";
    private const string ConfigInterface = "IFaultConfig";
    private const string TypeParameter = "TConfig";

    public static (List<GeneratedFile> Files, List<DiagnosticInfo> Diagnostics) Emit(SpecializationModel model)
    {
        var diagnostics = new List<DiagnosticInfo>(model.Diagnostics);
        var files = new List<GeneratedFile>();
        if (model.EntryMethod is null || model.Dispatchers.Length == 0)
            return (files, diagnostics);

        var copied = CopySet(model, diagnostics);
        if (diagnostics.Any(d => d.Id is "FLT0004"))
            return (files, diagnostics);
        var methods = model.Methods.Where(m => copied.Contains(m.Name)).ToList();

        var catalog = new List<(VariantModel Variant, int Lines, int Methods)>();
        foreach (var variant in model.Variants)
        {
            var body = new StringBuilder();
            foreach (var method in methods)
                AppendMethod(body, Specializer.Fold(Parse(method), variant));
            string summary = $"Variant {variant.Name} of the fault path: the generic path with wired = {Lower(variant.Wired)}, advice = {variant.Advice}, copy-on-write = {Lower(variant.CopyOnWrite)} folded in.";
            string text = File(model, $"private static class {variant.Identifier}", summary, body.ToString());
            files.Add(new GeneratedFile($"{model.ClassName}.{variant.Identifier}.g.cs", text));
            catalog.Add((variant, CountLines(body.ToString()), methods.Count));
        }

        files.Add(new GeneratedFile($"{model.ClassName}.Monomorphized.g.cs", Monomorphized(model, methods)));
        files.Add(new GeneratedFile($"{model.ClassName}.Dispatch.g.cs", Dispatch(model, catalog)));
        return (files, diagnostics);
    }

    /// <summary>
    /// The methods every variant needs its own copy of: those reachable from the entry that read a facade, or
    /// call a method that does. The others are shared with the generic path.
    /// </summary>
    internal static HashSet<string> CopySet(SpecializationModel model, List<DiagnosticInfo> diagnostics)
    {
        var byName = model.Methods.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.ToList());
        var reachable = new HashSet<string>();
        var work = new Stack<string>();
        work.Push(model.EntryMethod!);
        while (work.Count > 0)
        {
            var name = work.Pop();
            if (!byName.ContainsKey(name) || !reachable.Add(name))
                continue;
            foreach (var m in byName[name])
                foreach (var callee in m.Callees)
                    work.Push(callee);
        }

        var copied = new HashSet<string>(reachable.Where(n => byName[n].Any(m => m.HasFacadeCall)));
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var name in reachable)
                if (!copied.Contains(name) && byName[name].Any(m => m.Callees.Any(copied.Contains)))
                    grew = copied.Add(name) || grew;
        }

        foreach (var m in model.Methods)
        {
            if (copied.Contains(m.Name) && m.CannotCopyReason is not null)
                diagnostics.Add(new DiagnosticInfo("FLT0004", m.Location, m.Name, m.CannotCopyReason));
            else if (m.HasFacadeCall && !reachable.Contains(m.Name))
                diagnostics.Add(new DiagnosticInfo("FLT0003", m.Location, "*",
                    $"it is in {m.Name}, which the fault path entry {model.EntryMethod} never reaches, so no variant would fold it"));
        }
        return copied;
    }

    private static MethodDeclarationSyntax Parse(MethodModel method)
    {
        var parsed = (MethodDeclarationSyntax)ParseMemberDeclaration(method.Text)!;
        // Copies live in a nested class: the dispatcher in the outer class must be able to call them.
        var modifiers = TokenList(parsed.Modifiers
            .Where(t => !t.IsKind(SyntaxKind.PrivateKeyword) && !t.IsKind(SyntaxKind.PublicKeyword) && !t.IsKind(SyntaxKind.ProtectedKeyword) && !t.IsKind(SyntaxKind.InternalKeyword))
            .Prepend(Token(SyntaxKind.InternalKeyword).WithTrailingTrivia(Space)));
        var attributes = List(parsed.AttributeLists
            .Select(l => l.WithAttributes(SeparatedList(l.Attributes.Where(a => !a.Name.ToString().StartsWith(Parser.EntryAttributeName, System.StringComparison.Ordinal)))))
            .Where(l => l.Attributes.Count > 0));
        var leading = parsed.GetLeadingTrivia();
        return parsed.WithAttributeLists(attributes).WithModifiers(modifiers).WithLeadingTrivia(leading);
    }

    private static void AppendMethod(StringBuilder sb, MethodDeclarationSyntax method)
    {
        if (sb.Length > 0)
            sb.Append('\n');
        string text = method.NormalizeWhitespace(Indent, "\n").ToFullString().TrimEnd();
        foreach (var line in text.Split('\n'))
            sb.Append(line.Length == 0 ? "" : Indent + Indent + line).Append('\n');
    }

    private static string File(SpecializationModel model, string classHeader, string summary, string body)
    {
        var sb = new StringBuilder();
        sb.Append("// <auto-generated/>\n");
        sb.Append("// Generated by FaultLab.Generators from the generic fault path. Do not edit: change the generic path.\n");
        sb.Append("#nullable enable\n");
        foreach (var u in model.Usings)
            sb.Append(u).Append('\n');
        sb.Append('\n');
        AppendNamespace(sb, model);
        sb.Append(model.ClassModifiers).Append(" class ").Append(model.ClassName).Append('\n');
        sb.Append("{\n");
        sb.Append(Indent).Append("/// <summary>").Append(System.Security.SecurityElement.Escape(summary)).Append("</summary>\n");
        sb.Append(Indent).Append(classHeader).Append('\n');
        sb.Append(Indent).Append("{\n");
        sb.Append(body);
        sb.Append(Indent).Append("}\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Monomorphized(SpecializationModel model, List<MethodModel> methods)
    {
        var body = new StringBuilder();
        foreach (var method in methods)
            AppendMethod(body, Specializer.Monomorphize(Parse(method), TypeParameter));
        var sb = new StringBuilder(File(model,
            $"private static class Monomorphized<{TypeParameter}> where {TypeParameter} : struct, {ConfigInterface}",
            $"The monomorphized fault path: the generic path reading its configuration from {TypeParameter}'s static members, which the JIT folds per struct.",
            body.ToString()));
        // The configuration interface and one struct per variant, inside the class.
        var extra = new StringBuilder();
        extra.Append('\n');
        extra.Append(Indent).Append("/// <summary>A configuration of the fault path, as constants the JIT can fold.</summary>\n");
        extra.Append(Indent).Append("private interface ").Append(ConfigInterface).Append('\n');
        extra.Append(Indent).Append("{\n");
        extra.Append(Indent).Append(Indent).Append("static abstract bool Wired { get; }\n");
        extra.Append(Indent).Append(Indent).Append("static abstract Advice Advice { get; }\n");
        extra.Append(Indent).Append(Indent).Append("static abstract bool CopyOnWrite { get; }\n");
        extra.Append(Indent).Append("}\n");
        foreach (var v in model.Variants)
        {
            extra.Append('\n');
            extra.Append(Indent).Append("private struct Config_").Append(v.Identifier).Append(" : ").Append(ConfigInterface).Append('\n');
            extra.Append(Indent).Append("{\n");
            extra.Append(Indent).Append(Indent).Append("public static bool Wired => ").Append(Lower(v.Wired)).Append(";\n");
            extra.Append(Indent).Append(Indent).Append("public static Advice Advice => Advice.").Append(v.Advice).Append(";\n");
            extra.Append(Indent).Append(Indent).Append("public static bool CopyOnWrite => ").Append(Lower(v.CopyOnWrite)).Append(";\n");
            extra.Append(Indent).Append("}\n");
        }
        int close = sb.ToString().LastIndexOf("}\n", System.StringComparison.Ordinal);
        sb.Insert(close, extra.ToString());
        return sb.ToString();
    }

    private static string Dispatch(SpecializationModel model, List<(VariantModel Variant, int Lines, int Methods)> catalog)
    {
        var sb = new StringBuilder();
        sb.Append("// <auto-generated/>\n");
        sb.Append("// Generated by FaultLab.Generators: the dispatchers of the specialized paths and the catalog of variants.\n");
        sb.Append("#nullable enable\n");
        foreach (var u in model.Usings)
            sb.Append(u).Append('\n');
        sb.Append('\n');
        AppendNamespace(sb, model);
        sb.Append(model.ClassModifiers).Append(" class ").Append(model.ClassName).Append('\n');
        sb.Append("{\n");
        foreach (var d in model.Dispatchers)
        {
            bool mono = d.Path == "monomorphized";
            var axes = d.Parameters.Trim('(', ')').Split(',').Take(3).Select(p => p.Trim().Split(' ').Last()).ToArray();
            string args = string.Join(", ", d.ForwardedArguments);
            sb.Append(Indent).Append(d.Modifiers).Append(' ').Append(d.ReturnType).Append(' ').Append(d.Name).Append(d.Parameters).Append('\n');
            sb.Append(Indent).Append("{\n");
            sb.Append(Indent).Append(Indent).Append("switch (").Append(string.Join(", ", axes)).Append(")\n");
            sb.Append(Indent).Append(Indent).Append("{\n");
            foreach (var v in model.Variants)
            {
                string target = mono ? $"Monomorphized<Config_{v.Identifier}>" : v.Identifier;
                sb.Append(Indent).Append(Indent).Append(Indent)
                  .Append("case (").Append(Lower(v.Wired)).Append(", Advice.").Append(v.Advice).Append(", ").Append(Lower(v.CopyOnWrite)).Append("):\n");
                sb.Append(Indent).Append(Indent).Append(Indent).Append(Indent)
                  .Append("return ").Append(target).Append('.').Append(model.EntryMethod).Append('(').Append(args).Append(");\n");
            }
            sb.Append(Indent).Append(Indent).Append(Indent).Append("default: // no variant declared for this configuration\n");
            sb.Append(Indent).Append(Indent).Append(Indent).Append(Indent)
              .Append("return ").Append(model.EntryMethod).Append('(').Append(args).Append(");\n");
            sb.Append(Indent).Append(Indent).Append("}\n");
            sb.Append(Indent).Append("}\n\n");
        }
        sb.Append(Indent).Append("/// <summary>The declared variants: name, axes, lines and methods of their generated copies.</summary>\n");
        sb.Append(Indent).Append("internal static readonly (string Name, bool Wired, Advice Advice, bool CopyOnWrite, int GeneratedLines, int Methods)[] VariantCatalog =\n");
        sb.Append(Indent).Append("[\n");
        foreach (var (v, lines, count) in catalog)
            sb.Append(Indent).Append(Indent).Append("(\"").Append(v.Name).Append("\", ").Append(Lower(v.Wired)).Append(", Advice.").Append(v.Advice)
              .Append(", ").Append(Lower(v.CopyOnWrite)).Append(", ").Append(lines).Append(", ").Append(count).Append("),\n");
        sb.Append(Indent).Append("];\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>The namespace line, then the usings the class's declarations have inside their namespace.</summary>
    private static void AppendNamespace(StringBuilder sb, SpecializationModel model)
    {
        if (model.Namespace.Length == 0)
            return;
        sb.Append("namespace ").Append(model.Namespace).Append(";\n\n");
        foreach (var u in model.NamespaceUsings)
            sb.Append(u).Append('\n');
        if (model.NamespaceUsings.Length > 0)
            sb.Append('\n');
    }

    private static string Lower(bool b) => b ? "true" : "false";

    private static int CountLines(string text) => text.Count(c => c == '\n');
}
