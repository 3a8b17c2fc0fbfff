// The repository server outlives a run of the suite: start from an empty update repository, so the
// first publication creates it with this run's keys.
new File(repoData, 'it-multiarch-variant').deleteDir()
return true
