// The repository server outlives a run of the ITs: start from an empty update repository.
new File(repoData, 'it-boot-updates').deleteDir()
return true
