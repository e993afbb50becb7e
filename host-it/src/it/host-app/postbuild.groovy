// The host app's build passing is not enough: its tests must have run, all of them green.
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.hostapp.HostAppTest.xml')
assert report.isFile() : "HostAppTest did not run: no ${report}"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.toInteger() == 2 : "HostAppTest ran ${suite.@tests} tests, expected 2"
assert suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0 && suite.@skipped.toInteger() == 0
return true
