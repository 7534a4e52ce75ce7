using EvGateway.Vehicles.Accounts;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// The Renault account as an account list shows it (<see cref="AccountStatus"/> plus where a code went). Holds no
/// secret: <see cref="Login"/> and <see cref="CodeSentTo"/> are masked addresses (<c>o***@e***.org</c>),
/// <see cref="Detail"/> says in words what happened or what to do.
/// </summary>
public sealed record RenaultAccountState(AccountState State, string? Detail, string? Login, string? CodeSentTo = null);

/// <summary>A code is on its way to <see cref="SentTo"/> (masked); another may be requested from <see cref="ResendAllowedAt"/>.</summary>
public sealed record RenaultCodeSent(string SentTo, DateTimeOffset ResendAllowedAt);

/// <summary>What Renault said of an entered code.</summary>
public enum RenaultCodeCheck
{
    /// <summary>The code was right; the account state says whether the login is now connected.</summary>
    Accepted,

    /// <summary>A wrong code: the same e-mailed code may be entered again.</summary>
    Rejected,

    /// <summary>The code request is over (too many wrong codes, or it expired): request a new code.</summary>
    Expired,
}

/// <summary>The answer to an entered code, with the account state it leaves.</summary>
public sealed record RenaultVerification(RenaultCodeCheck Check, RenaultAccountState Account);
