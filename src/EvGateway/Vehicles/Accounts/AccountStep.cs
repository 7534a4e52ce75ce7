namespace EvGateway.Vehicles.Accounts;

/// <summary>
/// One thing the owner can do for an account now (log in, ask for a code, type it), described so the setup page can
/// offer it as a form without knowing the maker: a new maker's login steps appear on the page by themselves.
/// </summary>
/// <param name="Name">The step's id, unique per maker ("login", "code", "verify").</param>
/// <param name="Title">What the step does, as a heading.</param>
/// <param name="Help">A sentence that says what happens and what the owner needs; null for none.</param>
/// <param name="Fields">What the owner fills in; none for a step that is a single button.</param>
/// <param name="Submit">The button's words.</param>
public sealed record AccountStep(string Name, string Title, string? Help, IReadOnlyList<AccountField> Fields, string Submit);
