namespace EvGateway.Vehicles.Accounts;

/// <summary>What a step did, in words for the owner; a refusal names the field and carries the error code.</summary>
/// <param name="Succeeded">True when the step did what it says.</param>
/// <param name="Message">What happened and what comes next, in words; never a secret.</param>
/// <param name="Status">The account after the step.</param>
/// <param name="Link">An address the owner should open next (a maker's login page), or null.</param>
/// <param name="Code">On a refusal, the stable error code (verification_code_rejected, ...).</param>
/// <param name="Field">On a refusal caused by one field, its name.</param>
public sealed record AccountStepResult(bool Succeeded, string Message, AccountStatus Status, string? Link = null, string? Code = null,
    string? Field = null);
