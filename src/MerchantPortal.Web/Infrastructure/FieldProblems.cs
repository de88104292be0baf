namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// One thing wrong with one field of an input: the field as the client names it (a JSON path such as
/// "lines[2].quantity"), a code the pages translate (a resource key suffix), the English message the API answers
/// with, and the values the translated text is formatted with.
/// </summary>
public sealed record FieldProblem(string Field, string Code, string Message, params object?[] Args);

/// <summary>
/// What is wrong with an input, field by field: services collect these, pages show them next to the field, and
/// the API answers them as a validation problem (400, or the status given) with "errors": { field: [messages] }.
/// </summary>
public sealed class FieldProblems : IReadOnlyList<FieldProblem>
{
    private readonly List<FieldProblem> problems = [];

    public FieldProblems()
    {
    }

    public FieldProblems(IEnumerable<FieldProblem> problems) => this.problems.AddRange(problems);

    public static FieldProblems Of(string field, string message) => new FieldProblems().Add(field, message);

    /// <summary>Problems a service collected as field → messages.</summary>
    public static FieldProblems From(IReadOnlyDictionary<string, string[]> errors) =>
        new(errors.SelectMany(e => e.Value.Select(message => new FieldProblem(e.Key, "", message))));

    public bool Any => problems.Count > 0;

    public int Count => problems.Count;

    public FieldProblem this[int index] => problems[index];

    public FieldProblems Add(string field, string message) => Add(new FieldProblem(field, "", message));

    public FieldProblems Add(IEnumerable<FieldProblem> more)
    {
        problems.AddRange(more);
        return this;
    }

    public FieldProblems Add(FieldProblem problem)
    {
        problems.Add(problem);
        return this;
    }

    /// <summary>Fields in the order they were first named; a field's messages in the order they were added.</summary>
    public Dictionary<string, string[]> ToDictionary() =>
        problems.GroupBy(p => p.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal);

    /// <summary>The 400 validation problem ("One or more validation errors occurred.").</summary>
    public IResult ToResult() => TypedResults.ValidationProblem(ToDictionary());

    /// <summary>A validation problem with another status (409 when the input is fine but the state refuses it).</summary>
    public IResult ToResult(int statusCode, string? title = null) => Results.ValidationProblem(ToDictionary(), statusCode: statusCode, title: title);

    public IEnumerator<FieldProblem> GetEnumerator() => problems.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
