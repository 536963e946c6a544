using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace FaultLab.Generators;

/// <summary>
/// Partial evaluation of one method of the generic path for one variant: facade calls become the variant's
/// constants, then constant expressions are folded (!, &amp;&amp;, ||, == and != on bools and enum values,
/// ?:), locals initialised with a constant and never written again are propagated, dead if/else and switch
/// branches are removed, and statements that can no longer be reached are dropped. The method comes annotated
/// (<see cref="FacadeCall"/>, <see cref="AxisValue"/>) by the parser's binding: nothing here goes by names.
/// </summary>
internal static class Specializer
{
    private const string FacadeCallKind = "faultlab.facade-call";
    private const string AxisValueKind = "faultlab.axis-value";

    /// <summary>Marks expressions propagated from a constant local.</summary>
    private static readonly SyntaxAnnotation Constant = new("faultlab.constant");

    /// <summary>Marks an invocation of the facade method of axis <paramref name="axis"/>.</summary>
    public static SyntaxAnnotation FacadeCall(int axis) => new(FacadeCallKind, axis.ToString(CultureInfo.InvariantCulture));

    /// <summary>Marks an expression that is value <paramref name="value"/> of the enum axis <paramref name="axis"/>.</summary>
    public static SyntaxAnnotation AxisValue(int axis, int value) =>
        new(AxisValueKind, axis.ToString(CultureInfo.InvariantCulture) + ":" + value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The Roslyn-folded copy of <paramref name="method"/> for <paramref name="variant"/>.</summary>
    public static MethodDeclarationSyntax Fold(MethodDeclarationSyntax method, FacadeModel facade, VariantModel variant)
    {
        var current = (MethodDeclarationSyntax)new FacadeRewriter(axis => ConstantFor(facade, axis, variant.Values[axis])).Visit(method)!;
        for (int round = 0; round < 32; round++)
        {
            var next = PropagateConstantLocals(current, facade);
            next = (MethodDeclarationSyntax)new Folder(GotoTargets(next)).Visit(next)!;
            if (next.IsEquivalentTo(current, topLevel: false))
                break;
            current = next;
        }
        return current;
    }

    /// <summary>The JIT-specialized copy: facade calls read the static abstract members of <paramref name="typeParameter"/>, named as the facade's methods.</summary>
    public static MethodDeclarationSyntax Monomorphize(MethodDeclarationSyntax method, FacadeModel facade, string typeParameter) =>
        (MethodDeclarationSyntax)new FacadeRewriter(axis =>
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(typeParameter), IdentifierName(facade.Axes[axis].Method))).Visit(method)!;

    /// <summary>The constant of a value of an axis: a bool literal, or the enum member (marked as the axis's value).</summary>
    private static ExpressionSyntax ConstantFor(FacadeModel facade, int axis, int value)
    {
        var constant = ParseExpression(facade.Axes[axis].Values[value].Expression);
        return facade.Axes[axis].IsBool ? constant : constant.WithAdditionalAnnotations(AxisValue(axis, value));
    }

    private static LiteralExpressionSyntax Bool(bool value) =>
        LiteralExpression(value ? SyntaxKind.TrueLiteralExpression : SyntaxKind.FalseLiteralExpression);

    public static bool IsBool(ExpressionSyntax e, out bool value)
    {
        value = e.IsKind(SyntaxKind.TrueLiteralExpression);
        return value || e.IsKind(SyntaxKind.FalseLiteralExpression);
    }

    /// <summary>A value of an enum axis: (axis, value).</summary>
    private static bool IsEnumConstant(ExpressionSyntax e, out (int Axis, int Value) value)
    {
        value = default;
        if (e.GetAnnotations(AxisValueKind).FirstOrDefault()?.Data is not { } data)
            return false;
        int colon = data.IndexOf(':');
        value = (int.Parse(data.Substring(0, colon), CultureInfo.InvariantCulture), int.Parse(data.Substring(colon + 1), CultureInfo.InvariantCulture));
        return true;
    }

    private static bool IsConstant(ExpressionSyntax e) =>
        IsBool(e, out _) || e.HasAnnotation(Constant) || IsEnumConstant(e, out _) ||
        e.IsKind(SyntaxKind.NumericLiteralExpression);

    /// <summary>Reading it has no effect: a name, a member of a name, a literal.</summary>
    private static bool IsPure(ExpressionSyntax e) => e switch
    {
        IdentifierNameSyntax or LiteralExpressionSyntax => true,
        MemberAccessExpressionSyntax m => IsPure(m.Expression),
        ParenthesizedExpressionSyntax p => IsPure(p.Expression),
        PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.LogicalNotExpression) => IsPure(u.Operand),
        _ => false,
    };

    /// <summary>Replaces facade calls (by axis) by what the variant makes of them.</summary>
    private sealed class FacadeRewriter(System.Func<int, ExpressionSyntax> replacement) : CSharpSyntaxRewriter
    {
        public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
        {
            if (node.GetAnnotations(FacadeCallKind).FirstOrDefault()?.Data is { } axis)
                return replacement(int.Parse(axis, CultureInfo.InvariantCulture)).WithTriviaFrom(node);
            return base.VisitInvocationExpression(node);
        }
    }

    /// <summary>
    /// Propagates locals declared with a constant initializer that are never written again, and removes their
    /// declarations (so that no "assigned but never used" warning is left behind).
    /// </summary>
    private static MethodDeclarationSyntax PropagateConstantLocals(MethodDeclarationSyntax method, FacadeModel facade)
    {
        var declarations = method.DescendantNodes().OfType<LocalDeclarationStatementSyntax>()
            .Where(d => !d.IsConst && d.Declaration.Variables.Count == 1)
            .ToList();
        var declaredNames = new HashSet<string>(method.DescendantNodes().OfType<VariableDeclaratorSyntax>()
            .Select(v => v.Identifier.ValueText)
            .Concat(method.ParameterList.Parameters.Select(p => p.Identifier.ValueText))
            .GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key));
        foreach (var declaration in declarations)
        {
            var variable = declaration.Declaration.Variables[0];
            if (variable.Initializer?.Value is not { } value || !IsConstant(value) || !HasTypeOf(declaration.Declaration.Type, value, facade))
                continue;
            string name = variable.Identifier.ValueText;
            if (declaredNames.Contains(name) || IsWritten(method, name))
                continue;
            var constant = value.WithoutTrivia().WithAdditionalAnnotations(Constant);
            var uses = method.DescendantNodes().OfType<IdentifierNameSyntax>()
                .Where(id => id.Identifier.ValueText == name && IsReadOfLocal(id)).ToList();
            var rewritten = method.ReplaceNodes(uses, (original, _) => constant.WithTriviaFrom(original));
            var stale = rewritten.DescendantNodes().OfType<LocalDeclarationStatementSyntax>()
                .First(d => d.Declaration.Variables.Count == 1 && d.Declaration.Variables[0].Identifier.ValueText == name);
            return rewritten.RemoveNode(stale, SyntaxRemoveOptions.KeepNoTrivia)!;
        }
        return method;
    }

    /// <summary>
    /// The constant is of the local's type, so that reading it in the local's place changes nothing (a literal 1
    /// for a long local would make 'size &lt;&lt; 40' an int shift). A value of an enum axis is of the type that
    /// has the name of the axis's enum.
    /// </summary>
    private static bool HasTypeOf(TypeSyntax type, ExpressionSyntax value, FacadeModel facade)
    {
        if (type.IsVar)
            return true;
        if (type is PredefinedTypeSyntax predefined)
            return predefined.Keyword.Kind() switch
            {
                SyntaxKind.BoolKeyword => IsBool(value, out _),
                SyntaxKind.IntKeyword => value is LiteralExpressionSyntax { Token.Value: int },
                _ => false,
            };
        string? name = type switch
        {
            IdentifierNameSyntax id => id.Identifier.ValueText,
            QualifiedNameSyntax q => q.Right.Identifier.ValueText,
            _ => null,
        };
        return IsEnumConstant(value, out var constant) && name == facade.Axes[constant.Axis].TypeName;
    }

    /// <summary>The name reads the local: not a member's name (a.x, a?.x), nor an argument's or a member's label (x: ..., new { x = ... }).</summary>
    private static bool IsReadOfLocal(IdentifierNameSyntax id) => id.Parent switch
    {
        MemberAccessExpressionSyntax m => m.Expression == id,
        MemberBindingExpressionSyntax or NameColonSyntax or NameEqualsSyntax => false,
        _ => true,
    };

    /// <summary>The target of an assignment is the local, or a deconstruction into it.</summary>
    private static bool Targets(ExpressionSyntax target, string name) => target switch
    {
        IdentifierNameSyntax id => id.Identifier.ValueText == name,
        TupleExpressionSyntax tuple => tuple.Arguments.Any(a => Targets(a.Expression, name)),
        _ => false,
    };

    private static bool IsWritten(SyntaxNode scope, string name)
    {
        foreach (var node in scope.DescendantNodes())
        {
            switch (node)
            {
                case AssignmentExpressionSyntax a when Targets(a.Left, name):
                    return true;
                case PrefixUnaryExpressionSyntax u when (u.IsKind(SyntaxKind.PreIncrementExpression) || u.IsKind(SyntaxKind.PreDecrementExpression))
                                                     && u.Operand is IdentifierNameSyntax o && o.Identifier.ValueText == name:
                    return true;
                case PostfixUnaryExpressionSyntax p when p.Operand is IdentifierNameSyntax o2 && o2.Identifier.ValueText == name:
                    return true;
                case ArgumentSyntax arg when !arg.RefKindKeyword.IsKind(SyntaxKind.None)
                                          && arg.Expression is IdentifierNameSyntax r && r.Identifier.ValueText == name:
                    return true;
            }
        }
        return false;
    }

    /// <summary>The labels some <c>goto</c> of the method jumps to.</summary>
    private static HashSet<string> GotoTargets(SyntaxNode method) =>
        new(method.DescendantNodes().OfType<GotoStatementSyntax>()
            .Where(g => g.IsKind(SyntaxKind.GotoStatement) && g.Expression is IdentifierNameSyntax)
            .Select(g => ((IdentifierNameSyntax)g.Expression!).Identifier.ValueText));

    /// <summary>
    /// One round of folding over a method. <paramref name="gotoTargets"/> are the labels jumped to at the start of
    /// the round: a statement after a return is unreachable unless it is such a label.
    /// </summary>
    private sealed class Folder(HashSet<string> gotoTargets) : CSharpSyntaxRewriter
    {
        public override SyntaxNode? VisitParenthesizedExpression(ParenthesizedExpressionSyntax node)
        {
            var visited = (ParenthesizedExpressionSyntax)base.VisitParenthesizedExpression(node)!;
            // ((x)) is left by a folded ?: that stood in parentheses.
            return IsConstant(visited.Expression) || visited.Expression is ParenthesizedExpressionSyntax
                ? visited.Expression.WithTriviaFrom(visited)
                : visited;
        }

        public override SyntaxNode? VisitPrefixUnaryExpression(PrefixUnaryExpressionSyntax node)
        {
            var visited = (PrefixUnaryExpressionSyntax)base.VisitPrefixUnaryExpression(node)!;
            if (visited.IsKind(SyntaxKind.LogicalNotExpression) && IsBool(visited.Operand, out bool v))
                return Bool(!v).WithTriviaFrom(visited);
            return visited;
        }

        public override SyntaxNode? VisitBinaryExpression(BinaryExpressionSyntax node)
        {
            var visited = (BinaryExpressionSyntax)base.VisitBinaryExpression(node)!;
            var (l, r) = (visited.Left, visited.Right);
            bool lb = IsBool(l, out bool lv), rb = IsBool(r, out bool rv);
            switch (visited.Kind())
            {
                case SyntaxKind.LogicalAndExpression:
                    if (lb) return (lv ? r : Bool(false)).WithTriviaFrom(visited);
                    if (rb && rv) return l.WithTriviaFrom(visited);
                    if (rb && IsPure(l)) return Bool(false).WithTriviaFrom(visited);
                    break;
                case SyntaxKind.LogicalOrExpression:
                    if (lb) return (lv ? Bool(true) : r).WithTriviaFrom(visited);
                    if (rb && !rv) return l.WithTriviaFrom(visited);
                    if (rb && IsPure(l)) return Bool(true).WithTriviaFrom(visited);
                    break;
                case SyntaxKind.EqualsExpression:
                case SyntaxKind.NotEqualsExpression:
                    bool equal;
                    if (lb && rb) equal = lv == rv;
                    else if (IsEnumConstant(l, out var le) && IsEnumConstant(r, out var re) && le.Axis == re.Axis) equal = le.Value == re.Value;
                    else break;
                    return Bool(visited.IsKind(SyntaxKind.EqualsExpression) ? equal : !equal).WithTriviaFrom(visited);
            }
            return visited;
        }

        public override SyntaxNode? VisitConditionalExpression(ConditionalExpressionSyntax node)
        {
            var visited = (ConditionalExpressionSyntax)base.VisitConditionalExpression(node)!;
            if (!IsBool(visited.Condition, out bool v))
                return visited;
            var chosen = v ? visited.WhenTrue : visited.WhenFalse;
            return (chosen is IdentifierNameSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax or InvocationExpressionSyntax or ParenthesizedExpressionSyntax
                ? chosen
                : ParenthesizedExpression(chosen.WithoutTrivia())).WithTriviaFrom(visited);
        }

        /// <summary>An if or switch outside a block (e.g. an else-if): replaced by its live branch.</summary>
        public override SyntaxNode? VisitIfStatement(IfStatementSyntax node)
        {
            var visited = (IfStatementSyntax)base.VisitIfStatement(node)!;
            if (!IsBool(visited.Condition, out bool v))
                return visited;
            return (v ? visited.Statement : (StatementSyntax?)visited.Else?.Statement ?? Block()).WithTriviaFrom(visited);
        }

        public override SyntaxNode? VisitSwitchStatement(SwitchStatementSyntax node)
        {
            var visited = (SwitchStatementSyntax)base.VisitSwitchStatement(node)!;
            var live = LiveSection(visited);
            return live is null ? visited : Block(live).WithTriviaFrom(visited);
        }

        /// <summary>
        /// Blocks: fold the statements, splice live branches in, drop what can no longer be reached. After a
        /// statement that ends the flow, control comes back only at a label some goto jumps to: statements up to
        /// such a label are dropped, the label and what follows it are kept. A goto to the label right after it is
        /// dropped, and a label no goto jumps to any more is dropped (its statement is kept).
        /// </summary>
        public override SyntaxNode? VisitBlock(BlockSyntax node)
        {
            var statements = new List<StatementSyntax>();
            bool ended = false;
            foreach (var original in node.Statements)
            {
                if (ended)
                {
                    if (original is not LabeledStatementSyntax target || !gotoTargets.Contains(target.Identifier.ValueText))
                        continue;
                    ended = false;
                }
                var s = (StatementSyntax)Visit(original)!;
                // A folded if/switch came back as a block: splice it unless it declares locals or labels of its own.
                if (s is BlockSyntax inner && !original.IsKind(SyntaxKind.Block) && !inner.Statements.Any(i => DeclaresLocals(i) || i is LabeledStatementSyntax))
                {
                    var lead = s.GetLeadingTrivia();
                    for (int i = 0; i < inner.Statements.Count; i++)
                        statements.Add(i == 0 ? inner.Statements[i].WithLeadingTrivia(lead.AddRange(inner.Statements[i].GetLeadingTrivia())) : inner.Statements[i]);
                }
                else
                {
                    statements.Add(s);
                }
                if (statements.Count > 0 && EndsFlow(statements[statements.Count - 1]))
                    ended = true;
            }
            for (int i = 0; i < statements.Count; i++)
            {
                if (statements[i] is LabeledStatementSyntax label && !gotoTargets.Contains(label.Identifier.ValueText))
                {
                    statements[i] = label.Statement.WithLeadingTrivia(label.GetLeadingTrivia().AddRange(label.Statement.GetLeadingTrivia()));
                    i--; // its statement may be a label too
                }
                else if (i + 1 < statements.Count && IsGotoTo(statements[i], statements[i + 1]))
                {
                    statements[i + 1] = statements[i + 1].WithLeadingTrivia(statements[i].GetLeadingTrivia().AddRange(statements[i + 1].GetLeadingTrivia()));
                    statements.RemoveAt(i);
                    i--;
                }
            }
            return node.WithStatements(List(statements));
        }

        /// <summary><paramref name="jump"/> is a goto to the label <paramref name="next"/>, the statement right after it.</summary>
        private static bool IsGotoTo(StatementSyntax jump, StatementSyntax next) =>
            jump is GotoStatementSyntax { Expression: IdentifierNameSyntax target } g && g.IsKind(SyntaxKind.GotoStatement) &&
            next is LabeledStatementSyntax label && label.Identifier.ValueText == target.Identifier.ValueText;

        /// <summary>
        /// The statement declares a local in the block it stands in: a declaration, or an out variable or pattern
        /// variable outside a nested block (spliced, two such branches could declare one name twice).
        /// </summary>
        private static bool DeclaresLocals(StatementSyntax statement) =>
            statement is LocalDeclarationStatementSyntax ||
            statement.DescendantNodes(n => n is not BlockSyntax && n is not AnonymousFunctionExpressionSyntax)
                .OfType<SingleVariableDesignationSyntax>().Any();

        /// <summary>The statements of the section a constant switch takes, without its closing break.</summary>
        private static List<StatementSyntax>? LiveSection(SwitchStatementSyntax node)
        {
            if (!IsEnumConstant(node.Expression, out var value) && !IsBool(node.Expression, out _))
                return null;
            // A pattern label (case A or B:, case A when x:, case var v:) is not evaluated here: leave the switch.
            if (node.Sections.SelectMany(s => s.Labels).Any(l => l is not CaseSwitchLabelSyntax and not DefaultSwitchLabelSyntax))
                return null;
            string key = node.Expression.WithoutTrivia().ToString();
            SwitchSectionSyntax? chosen = node.Sections.FirstOrDefault(s => s.Labels.OfType<CaseSwitchLabelSyntax>()
                .Any(l => l.Value.WithoutTrivia().ToString() == key || (IsEnumConstant(l.Value, out var lv) && lv == value)));
            chosen ??= node.Sections.FirstOrDefault(s => s.Labels.Any(l => l is DefaultSwitchLabelSyntax));
            if (chosen is null)
                return [];
            var body = chosen.Statements.ToList();
            if (body.Count > 0 && body[body.Count - 1] is BreakStatementSyntax)
                body.RemoveAt(body.Count - 1);
            // A break anywhere else would leave the switch from the middle, a goto case would jump to a section
            // that is gone: not foldable into a block.
            if (body.SelectMany(s => s.DescendantNodesAndSelf()).Any(n =>
                    (n is BreakStatementSyntax || n.IsKind(SyntaxKind.GotoCaseStatement) || n.IsKind(SyntaxKind.GotoDefaultStatement)) && !InsideLoopOrSwitch(n, chosen)))
                return null;
            var trivia = chosen.Statements.Count > 0 ? chosen.GetLeadingTrivia() : default;
            if (body.Count > 0)
                body[0] = body[0].WithLeadingTrivia(trivia.AddRange(body[0].GetLeadingTrivia().Where(t => !t.IsKind(SyntaxKind.WhitespaceTrivia))));
            return body;
        }

        private static bool InsideLoopOrSwitch(SyntaxNode node, SyntaxNode stop)
        {
            for (var n = node.Parent; n is not null && n != stop; n = n.Parent)
                if (n is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax or SwitchStatementSyntax)
                    return true;
            return false;
        }
    }

    /// <summary>Control never reaches the statement after this one.</summary>
    public static bool EndsFlow(StatementSyntax s) => s switch
    {
        ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax => true,
        BlockSyntax b => b.Statements.Count > 0 && EndsFlow(b.Statements[b.Statements.Count - 1]),
        IfStatementSyntax i => i.Else is not null && EndsFlow(i.Statement) && EndsFlow(i.Else.Statement),
        LabeledStatementSyntax l => EndsFlow(l.Statement),
        _ => false,
    };
}
