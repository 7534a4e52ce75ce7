namespace EvGateway.Vehicles.Accounts;

/// <summary>A field of an <see cref="AccountStep"/>. Secret fields are never filled in again from what was sent.</summary>
/// <param name="Name">The field's name, as the step reads it (and as the REST body names it).</param>
/// <param name="Label">What the owner sees.</param>
/// <param name="Kind">How the field is entered.</param>
/// <param name="Choices">For <see cref="AccountFieldKind.Choice"/>: the values, the first the default.</param>
/// <param name="Required">False for a field that may stay empty.</param>
public sealed record AccountField(string Name, string Label, AccountFieldKind Kind, IReadOnlyList<string>? Choices = null, bool Required = true)
{
    public bool IsSecret => Kind is AccountFieldKind.Password or AccountFieldKind.Code or AccountFieldKind.Pin;
}

public enum AccountFieldKind
{
    Text,
    Email,
    Password,

    /// <summary>A code the cloud sent (by e-mail or SMS): digits, single use.</summary>
    Code,

    /// <summary>The maker app's PIN.</summary>
    Pin,

    /// <summary>An address pasted from the browser.</summary>
    Url,

    /// <summary>One of <see cref="AccountField.Choices"/>.</summary>
    Choice,

    /// <summary>The text of a file the owner picks (a JSON file), or its bytes as base64 for a binary one.</summary>
    File,
}
