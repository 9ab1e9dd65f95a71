namespace Rewind.Hibernation;

/// <summary>
/// One watch of an inotify descriptor: its watch descriptor <see cref="Wd"/> (the number the
/// program's events carry), the <see cref="Path"/> of the watched file, and the
/// <see cref="Mask"/> fdinfo shows (the events, IN_ONESHOT and IN_EXCL_UNLINK).
/// </summary>
public sealed record SavedWatch(int Wd, string Path, uint Mask);
