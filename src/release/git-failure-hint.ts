/**
 * The next thing to do after a failed git command, from git's own message. One generic hint
 * ("is this a repository?") sent people checking a repository that was fine when the real cause
 * was a ref it did not have (`origin/main` in a clone without that remote branch).
 */
export function gitFailureHint(stderr: string, args: readonly string[]): string {
  if (/not a git repository/i.test(stderr)) return 'run it inside a git work tree (cd into the repository, or `git init` and commit)';
  if (/does not have any commits yet|bad default revision 'HEAD'|ambiguous argument 'HEAD'/i.test(stderr)) return 'commit first: the repository has no commits yet';
  const unknown = /(?:ambiguous argument|bad revision) '([^']+)'/i.exec(stderr);
  if (unknown || /unknown revision/i.test(stderr)) {
    // `nope..HEAD` → `nope`: name the ref the user gave, not the range shipgate built from it.
    const refs = (unknown?.[1] ?? '').split(/\.{2,3}/).filter((r) => r && r !== 'HEAD');
    const named = refs.length ? refs.map((r) => `\`${r}\``).join(' / ') : 'a ref it was given';
    return `${named} is not a ref in this repository: check the spelling (\`git branch -a\`, \`git tag\`), or fetch it (\`git fetch --all --tags\`; a shallow CI clone needs fetch-depth: 0)`;
  }
  return `run \`git ${args.join(' ')}\` yourself to see why`;
}
